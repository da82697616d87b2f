def worth_applying(job, balance, min_budget_usd):
    if job["connects"] > balance:
        return False
    if job["budget_usd"] < min_budget_usd:
        return False
    match = job["skills_matched"] / job["skills_asked"]
    if match < {{ clear_misfit() }}:
        return False
    return match == 1
