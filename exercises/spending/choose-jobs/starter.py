def choose_jobs(jobs, budget):
    """Ids of the jobs to apply to: the most promise within `budget` Connects, fit jobs only."""
    chosen = []
    return chosen
