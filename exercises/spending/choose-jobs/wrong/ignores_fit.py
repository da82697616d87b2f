from itertools import combinations


def choose_jobs(jobs, budget):
    best, best_promise = (), 0.0
    for size in range(1, len(jobs) + 1):
        for combo in combinations(jobs, size):
            if sum(job["connects"] for job in combo) > budget:
                continue
            promise = sum(job["fit"] * job["value_usd"] for job in combo)
            if promise > best_promise:
                best, best_promise = combo, promise
    chosen = {job["id"] for job in best}
    return [job["id"] for job in jobs if job["id"] in chosen]
