# quizkit: wrong-when purchase_cost(20) == (0.5 - 0.25) * 12
# Only the case boost_worth_it(20, 0, 12, 0.25, 0.5), a gain of exactly the bid's price, tells >= from >;
# under another price it is no tie.
def connects_to_buy(balance, required, planned, bid):
    needed = required * (1 + planned) + bid
    return max(0, needed - balance)


def boost_worth_it(bid, to_buy, contract_usd, win_chance, boosted_win_chance):
    gain_usd = (boosted_win_chance - win_chance) * contract_usd
    cost_usd = bid * RULES["purchase.price_per_connect_usd"]
    return gain_usd >= cost_usd
