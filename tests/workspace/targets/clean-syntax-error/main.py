def broken(:
    app = 1
