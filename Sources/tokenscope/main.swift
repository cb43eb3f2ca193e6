print("tokenscope")
