# quizkit: wrong-when break_even_need() is None
# While Plus never costs less than Basic, abs() changes no premium today: only the run under other figures shows it.
def monthly_cost(plan, need):
    to_buy = max(0, need - RULES[f"plan.{plan}.monthly_connects"])
    return RULES[f"plan.{plan}.price_usd"] + to_buy * RULES["purchase.price_per_connect_usd"]


def plus_premium(need):
    return abs(monthly_cost("plus", need) - monthly_cost("basic", need))
