namespace prescient::cli { int Main(int, char**) { return 0; } }
