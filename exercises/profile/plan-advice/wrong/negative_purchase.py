def monthly_cost(plan, need):
    to_buy = need - RULES[f"plan.{plan}.monthly_connects"]
    return RULES[f"plan.{plan}.price_usd"] + to_buy * RULES["purchase.price_per_connect_usd"]


def plus_premium(need):
    return monthly_cost("plus", need) - monthly_cost("basic", need)
