namespace sb::model { int placeholder() { return 0; } }
