def monthly_connects(plan):
    return RULES["plan.basic.monthly_connects"]
