// replaced by the toxic tests
