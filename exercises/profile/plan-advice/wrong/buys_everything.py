def monthly_cost(plan, need):
    return RULES[f"plan.{plan}.price_usd"] + need * RULES["purchase.price_per_connect_usd"]


def plus_premium(need):
    return monthly_cost("plus", need) - monthly_cost("basic", need)
