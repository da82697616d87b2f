def choose_jobs(jobs, budget):
    return [job["id"] for job in jobs if job["fit"] >= 0.7]
