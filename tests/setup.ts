// The engine-less runtime prints component warnings with console.warn; tests assert them via `warnings`.
console.warn = () => undefined;
// Pulumi captures a stack trace for every promise and resource; with source maps on, formatting
// them is most of a plan's time under mocks. tsx keeps line numbers, so failures still point home.
process.setSourceMapsEnabled(false);
// Under mocks the component logs a failed late check once (`error: [runtime] webrtc-firewall: ...`), as the
// engine would show it; tests assert it through `checked`. Every other error line still prints.
const printError = console.error.bind(console);
console.error = (...args: unknown[]) => {
    if (typeof args[0] === "string" && args[0].startsWith("error: [runtime] webrtc-firewall:")) return;
    printError(...args);
};
