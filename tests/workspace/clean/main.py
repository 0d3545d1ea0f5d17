def run():
    return "ok"
