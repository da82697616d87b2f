def monthly_cost(plan, need):
    allowance = {"basic": 10, "plus": 100}[plan]
    price = {"basic": 0, "plus": 19.99}[plan]
    return price + max(0, need - allowance) * 0.15


def plus_premium(need):
    return monthly_cost("plus", need) - monthly_cost("basic", need)
