//! Shared support for the test suite.
