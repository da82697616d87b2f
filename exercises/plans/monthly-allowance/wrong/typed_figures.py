def monthly_connects(plan):
    return {"basic": 10, "plus": 100}[plan]
