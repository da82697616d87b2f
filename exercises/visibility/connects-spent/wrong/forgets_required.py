def connects_spent(required, bid, top_slot_at_close, client_interacted):
    charged = top_slot_at_close or client_interacted
    return required + bid if charged else 0
