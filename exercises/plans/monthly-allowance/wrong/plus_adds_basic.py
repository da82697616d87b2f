def proposals_per_month(plan, required):
    allowance = RULES["plan.basic.monthly_connects"]
    if plan == "plus":
        allowance += RULES["plan.plus.monthly_connects"]
    return allowance // required
