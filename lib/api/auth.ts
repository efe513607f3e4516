import { z } from "zod";
import { CreateUserBody, LoginBody, Me, SetupBody, UpdateUserBody, User, UserList } from "../contracts/auth";
import { fetchJson } from "../fetcher";

const json = (body: unknown): RequestInit => ({ method: "POST", body: JSON.stringify(body) });

export const authApi = {
  me: () => fetchJson(Me, "/api/auth/me"),
  login: (body: LoginBody) => fetchJson(Me, "/api/auth/login", json(body)),
  setup: (body: SetupBody) => fetchJson(Me, "/api/auth/setup", json(body)),
  logout: () => fetchJson(z.null(), "/api/auth/logout", { method: "POST" }),
};

export const usersApi = {
  list: () => fetchJson(UserList, "/api/users"),
  create: (body: CreateUserBody) => fetchJson(z.object({ user: User }), "/api/users", json(body)),
  update: (id: string, body: UpdateUserBody) =>
    fetchJson(z.object({ user: User }), `/api/users/${encodeURIComponent(id)}`, { method: "PATCH", body: JSON.stringify(body) }),
  remove: (id: string) => fetchJson(z.null(), `/api/users/${encodeURIComponent(id)}`, { method: "DELETE" }),
};
