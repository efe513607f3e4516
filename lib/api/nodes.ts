import { NodeList } from "../contracts/nodes";
import { fetchJson } from "../fetcher";

export const nodesApi = {
  list: () => fetchJson(NodeList, "/api/nodes"),
};
