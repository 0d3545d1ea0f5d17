print("unicode")
