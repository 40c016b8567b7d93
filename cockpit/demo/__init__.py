"""The demo: a throwaway repository for a simulated team (`cockpit demo`)."""
