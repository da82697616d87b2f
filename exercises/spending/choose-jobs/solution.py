from itertools import combinations

MIN_FIT = 0.7  # the course's threshold: below it, a proposal wastes its Connects


def choose_jobs(jobs, budget):
    """Ids of the jobs to apply to: the most promise within `budget` Connects, fit jobs only."""
    fit_jobs = [job for job in jobs if job["fit"] >= MIN_FIT]
    best, best_promise = (), 0.0
    for size in range(1, len(fit_jobs) + 1):
        for combo in combinations(fit_jobs, size):
            if sum(job["connects"] for job in combo) > budget:
                continue
            promise = sum(job["fit"] * job["value_usd"] for job in combo)
            if promise > best_promise:
                best, best_promise = combo, promise
    chosen_ids = {job["id"] for job in best}
    return [job["id"] for job in jobs if job["id"] in chosen_ids]
