APP = "app"
