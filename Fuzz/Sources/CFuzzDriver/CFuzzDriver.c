// Intentionally empty: the header declares a function libFuzzer provides.
