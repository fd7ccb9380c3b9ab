export const DASHBOARD_HTML = '<!doctype html><title>dashboard</title>';
