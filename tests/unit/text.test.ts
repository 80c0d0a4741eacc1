/**
 * What every message and every cloud input goes through: key paths, quoted values, the rendered error,
 * text made printable and cut where the providers count, and lists that never overflow a call.
 */
import * as assert from "node:assert/strict";
import * as pulumi from "@pulumi/pulumi";
import { append, maxOf } from "../../src/contract/lists";
import { ConfigError, formatPath, quote, SHOWN_PROBLEMS } from "../../src/contract/problems";
import { clip, excerpt, orList, printable, truncateUtf8 } from "../../src/contract/text";

describe("problems: key paths, quoted values and the rendered error", () => {
    it("renders a key path as the user wrote it", () => {
        assert.equal(formatPath(["ports", 2, "ports"]), "ports[2].ports");
        assert.equal(formatPath([0, "a"]), "[0].a");
        assert.equal(formatPath(["a", "b"]), "a.b");
        assert.equal(formatPath([]), "(config)");
    });

    it("quotes values as YAML or TypeScript would show them", () => {
        assert.equal(quote(undefined), "(missing)");
        assert.equal(quote(Infinity), "Infinity");
        assert.equal(quote(NaN), "NaN");
        assert.equal(quote(5), "5");
        assert.equal(quote("x"), '"x"');
        assert.equal(quote(Symbol("s")), "Symbol(s)", "JSON has no text for a symbol");
        const circular: Record<string, unknown> = {};
        circular.self = circular;
        assert.equal(quote(circular), "[object Object]");
    });

    it("a ConfigError is a RunError whose message, stack and problems are the user's problems", () => {
        const problems = [{ path: "ports[0]", message: "is wrong" }];
        const err = new ConfigError(problems);
        assert.ok(err instanceof pulumi.RunError);
        assert.equal(err.name, "ConfigError");
        assert.deepEqual(err.problems, problems);
        assert.equal(err.message, "webrtc-firewall: the config has 1 problem; nothing was created:\n  - ports[0]: is wrong");
        assert.equal(err.stack, err.message);
        err.message = "prefixed by a serializer";
        assert.equal(
            err.message,
            "webrtc-firewall: the config has 1 problem; nothing was created:\n  - ports[0]: is wrong",
            "the message cannot be rewritten",
        );
        assert.equal(Object.keys(err).includes("message"), false);
        const later = new ConfigError([...problems, { path: "a\u0007", message: "b" }], "resolved");
        assert.equal(
            later.message,
            "webrtc-firewall: the config has 2 problems once the values from other resources resolved; " +
                "no resource that carries those values was created:\n  - ports[0]: is wrong\n  - a\\u0007: b",
        );
    });

    it("shows the first problems in full and counts the rest", () => {
        const many = Array.from({ length: SHOWN_PROBLEMS + 2 }, (_, i) => ({ path: `p${i}`, message: "m" }));
        const lines = ConfigError.render(many).split("\n");
        assert.equal(lines.length, 1 + SHOWN_PROBLEMS + 1);
        assert.equal(lines.at(-2), `  - p${SHOWN_PROBLEMS - 1}: m`);
        assert.equal(lines.at(-1), "  ... and 2 more");
        assert.equal(ConfigError.render(many.slice(0, SHOWN_PROBLEMS)).split("\n").length, 1 + SHOWN_PROBLEMS, "none hidden at the edge");
    });

    it("recognises a ConfigError from another copy of the module by its name", () => {
        assert.ok(ConfigError.isInstance(new ConfigError([])));
        assert.ok(ConfigError.isInstance({ name: "ConfigError" }));
        assert.ok(!ConfigError.isInstance(new Error("x")));
        assert.ok(!ConfigError.isInstance(undefined));
    });
});

describe("text: printable, and cut where the providers count", () => {
    it("escapes control and bidirectional-override characters, and nothing else", () => {
        assert.equal(printable("a\u0000b\u001bc\u202ed\u2066é"), "a\\u0000b\\u001bc\\u202ed\\u2066é");
        assert.equal(printable("plain text"), "plain text");
    });

    it("cuts UTF-8 at the byte limit on a code point, marking the cut", () => {
        assert.equal(truncateUtf8("abc", 3), "abc", "at the limit: whole");
        assert.equal(truncateUtf8("abcdef", 5), "ab...");
        assert.equal(truncateUtf8("ééé", 6), "ééé");
        assert.equal(truncateUtf8("éééé", 7), "éé...", "7 bytes: two 2-byte characters and the mark");
        assert.equal(truncateUtf8("😀😀", 7), "😀...", "a surrogate pair is never split");
        assert.equal(truncateUtf8("😀😀", 6), "...");
    });

    it("quotes a scalar from a file, names a map or a list, and cuts long text", () => {
        assert.equal(excerpt(null), "null");
        assert.equal(excerpt(undefined), "undefined");
        assert.equal(excerpt([1]), "a list");
        assert.equal(excerpt({ secret: "s" }), "a map");
        assert.equal(excerpt(443), "443");
        assert.equal(excerpt(true), "true");
        assert.equal(excerpt("x\u0007"), '"x\\u0007"', "JSON escapes it already");
        assert.equal(excerpt("a".repeat(17)), `"${"a".repeat(16)}..."`);
        assert.equal(excerpt("a".repeat(16)), `"${"a".repeat(16)}"`);
        assert.equal(excerpt(12345, 3), "123...");
        assert.equal(clip("b".repeat(65)), `${"b".repeat(64)}...`);
        assert.equal(clip("b".repeat(64)), "b".repeat(64));
        assert.equal(clip("😀😀😀", 2), "😀😀...", "cut by characters, not code units");
        assert.equal(clip("k\u001b", 5), "k\\u001b");
    });

    it("joins a list in a sentence", () => {
        assert.equal(orList([]), "");
        assert.equal(orList(["a"]), "a");
        assert.equal(orList(["a", "b"]), "a or b");
        assert.equal(orList(["a", "b", "c"]), "a, b or c");
    });
});

describe("lists: no spread into a call", () => {
    it("appends past what a call's arguments hold, in order", () => {
        const target = [0];
        const items = Array.from({ length: 300_000 }, (_, i) => i + 1);
        assert.equal(append(target, items), target);
        assert.equal(target.length, 300_001);
        assert.deepEqual([target[0], target[1], target[300_000]], [0, 1, 300_000]);
    });

    it("finds the largest value, -Infinity for none, whatever the order", () => {
        assert.equal(maxOf([]), -Infinity);
        assert.equal(maxOf([3, 1, 2]), 3);
        assert.equal(maxOf([1, 2, 3]), 3);
        assert.equal(maxOf([-5, -7]), -5);
        assert.equal(maxOf([2, 2]), 2);
        assert.equal(maxOf(Array.from({ length: 300_000 }, (_, i) => i)), 299_999);
    });
});
