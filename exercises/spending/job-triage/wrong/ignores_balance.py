def worth_applying(job, balance, min_budget_usd):
    if job["budget_usd"] < min_budget_usd:
        return False
    match = job["skills_matched"] / job["skills_asked"]
    if match < 0.75:
        return False
    if not job["payment_verified"] and job["client_hires"] == 0:
        return False
    return match == 1 and job["payment_verified"] and job["client_hires"] > 0
