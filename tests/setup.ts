// The engine-less runtime prints component warnings with console.warn; tests assert them via `warnings`.
console.warn = () => undefined;
// Pulumi captures a stack trace for every promise and resource; with source maps on, formatting
// them is most of a plan's time under mocks. tsx keeps line numbers, so failures still point home.
process.setSourceMapsEnabled(false);
