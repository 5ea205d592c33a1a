// The dashboard (placeholder until the SPA lands).
