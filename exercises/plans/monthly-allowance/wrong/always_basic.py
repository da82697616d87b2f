def proposals_per_month(plan, required):
    return RULES["plan.basic.monthly_connects"] // required
