/** The parts of a Postman collection (format v2.1) the generator reads and writes. */
export interface Script {
  listen: "prerequest" | "test";
  script: { type: "text/javascript"; exec: string[] };
}

export interface UrlVariable {
  key: string;
  value?: string;
  [field: string]: unknown;
}

export interface QueryParam {
  key: string;
  value?: string | null;
  disabled?: boolean;
  [field: string]: unknown;
}

export interface Header {
  key: string;
  value: string;
  disabled?: boolean;
  [field: string]: unknown;
}

export interface RequestItem {
  id?: string;
  name: string;
  request: {
    method: string;
    url: { host: string[]; path: string[]; query?: QueryParam[]; variable?: UrlVariable[] };
    header?: Header[];
    body?: { mode: "raw"; raw: string; options?: unknown };
    auth?: unknown;
    [field: string]: unknown;
  };
  response?: unknown[];
  event?: Script[];
  [field: string]: unknown;
}

export interface Folder {
  id?: string;
  name: string;
  item: (Folder | RequestItem)[];
  [field: string]: unknown;
}

export interface Collection {
  info: { _postman_id?: string; name: string; schema: string; [field: string]: unknown };
  item: (Folder | RequestItem)[];
  auth?: unknown;
  event?: Script[];
  variable?: { key: string; value: string; [field: string]: unknown }[];
}

export const isFolder = (item: Folder | RequestItem): item is Folder => "item" in item;
