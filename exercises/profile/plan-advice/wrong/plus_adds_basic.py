def monthly_cost(plan, need):
    allowance = RULES[f"plan.{plan}.monthly_connects"]
    if plan == "plus":
        allowance += RULES["plan.basic.monthly_connects"]
    to_buy = max(0, need - allowance)
    return RULES[f"plan.{plan}.price_usd"] + to_buy * RULES["purchase.price_per_connect_usd"]


def plus_premium(need):
    return monthly_cost("plus", need) - monthly_cost("basic", need)
