def worth_applying(job, balance, min_budget_usd):
    """Whether a job post deserves a proposal: a near-perfect fit, a budget you accept, a real client, Connects to pay for it."""
    if job["connects"] > balance:
        return False  # a proposal needs all of its Connects
    if job["budget_usd"] < min_budget_usd:
        return False
    match = job["skills_matched"] / job["skills_asked"]
    if match < 0.75:
        return False  # not a fit: the article says keep your Connects
    if not job["payment_verified"] and job["client_hires"] == 0:
        return False  # a client who may never hire anyone
    return match == 1 and job["payment_verified"] and job["client_hires"] > 0
