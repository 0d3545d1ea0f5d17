def build():
    return 1, 2


app, db = build()
