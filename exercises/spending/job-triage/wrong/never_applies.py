def worth_applying(job, balance, min_budget_usd):
    return False
