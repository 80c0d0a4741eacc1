// The engine-less runtime prints component warnings with console.warn; tests assert them via `warnings`.
console.warn = () => undefined;
