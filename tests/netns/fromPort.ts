/**
 * One probe question over UDP from a chosen source address and port (`from` `sport` `host` `port`), run
 * inside a test's namespace: prints `answered` when the listener's answer comes back within a second,
 * `silent` otherwise. For rules that match on the source port (Oracle's image accepts any UDP from port 123).
 */
import * as dgram from "node:dgram";
import { randomBytes } from "node:crypto";
import { question, readAnswer } from "../../src/verify/wire";

const [from, sport, host, port] = process.argv.slice(2);
const socket = dgram.createSocket("udp4");
const nonce = randomBytes(16).toString("hex");
const done = (word: string) => {
    console.log(word);
    socket.close();
};
const timer = setTimeout(() => done("silent"), 1000);
socket.on("message", (data) => {
    if (readAnswer(data)?.nonce !== nonce) return;
    clearTimeout(timer);
    done("answered");
});
socket.bind(Number(sport), from, () => socket.send(question(nonce), Number(port), host));
