from itertools import combinations


def choose_jobs(jobs, budget):
    fit_jobs = [job for job in jobs if job["fit"] > 0.7]
    best, best_promise = (), 0.0
    for size in range(1, len(fit_jobs) + 1):
        for combo in combinations(fit_jobs, size):
            if sum(job["connects"] for job in combo) > budget:
                continue
            promise = sum(job["fit"] * job["value_usd"] for job in combo)
            if promise > best_promise:
                best, best_promise = combo, promise
    chosen = {job["id"] for job in best}
    return [job["id"] for job in jobs if job["id"] in chosen]
