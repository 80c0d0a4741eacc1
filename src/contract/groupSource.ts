import { isMockIssuedId } from "./mockIds";

/**
 * A source a cloud names by id rather than address (AWS security groups): recognised in any rule, and
 * refused by validate.ts on every other cloud. Declared by the cloud's folder (clouds/<cloud>/settings.ts).
 */
export interface GroupSource {
    /** The id's exact form, e.g. `sg-` and 8 or 17 hex digits. */
    pattern: RegExp;
    /** "an AWS security group": what such a source is. */
    what: string;
    /** `a security group id like "sg-0abc1234"`: how to write one. */
    write: string;
    /** The cloud that can express it, e.g. "AWS". */
    cloud: string;
    /** The resource type whose id it is, as Pulumi names it: under unit-test mocks, a made-up id of one is a group too. */
    resourceType: string;
    /** Why a whole list Output may not hold one, and the fix (the list becomes address lists). */
    inList: (id: string) => string;
}

/** The group's id: in its cloud's form, or under a consumer's unit-test mocks the id a mock returned for such a group (mockIds.ts). */
export const isGroupId = (group: GroupSource, value: string): boolean =>
    group.pattern.test(value) || isMockIssuedId(value, group.resourceType);
