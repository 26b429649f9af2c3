print("ocitool")
