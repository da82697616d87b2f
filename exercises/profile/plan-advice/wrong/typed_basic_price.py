def monthly_cost(plan, need):
    price = 0 if plan == "basic" else RULES["plan.plus.price_usd"]
    to_buy = max(0, need - RULES[f"plan.{plan}.monthly_connects"])
    return price + to_buy * RULES["purchase.price_per_connect_usd"]


def plus_premium(need):
    return monthly_cost("plus", need) - monthly_cost("basic", need)
