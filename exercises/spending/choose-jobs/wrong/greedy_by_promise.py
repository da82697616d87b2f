def choose_jobs(jobs, budget):
    fit_jobs = [job for job in jobs if job["fit"] >= 0.7]
    ranked = sorted(fit_jobs, key=lambda job: job["fit"] * job["value_usd"], reverse=True)
    chosen, left = set(), budget
    for job in ranked:
        if job["connects"] <= left:
            chosen.add(job["id"])
            left -= job["connects"]
    return [job["id"] for job in jobs if job["id"] in chosen]
