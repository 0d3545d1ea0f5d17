print("shapes")
