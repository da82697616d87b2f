def worth_applying(job, balance, min_budget_usd):
    if job["connects"] > balance:
        return False
    if job["budget_usd"] < min_budget_usd:
        return False
    if job["skills_matched"] / job["skills_asked"] < 0.5:
        return False
    if not job["payment_verified"] and job["client_hires"] == 0:
        return False
    return True
