def connects_to_buy(balance, required, planned, bid):
    return max(0, required * (1 + planned) + bid - balance)


def boost_worth_it(bid, to_buy, contract_usd, win_chance, boosted_win_chance):
    price = RULES["purchase.price_per_connect_usd"]
    return (boosted_win_chance - win_chance) * contract_usd > min(bid, to_buy) * price
