/**
 * The zod schema a setting's `Schema` is (contract/settings.ts says why the published types name it
 * otherwise). Its own module, so no declaration a consumer's compile reads has zod's types in it.
 */
import type { z } from "zod";

/** `schema` is a settings `Schema`: anything with Standard Schema's `~standard`, here always made by zod. */
export const zodOf = (schema: { readonly "~standard": unknown }): z.ZodType => schema as unknown as z.ZodType;
