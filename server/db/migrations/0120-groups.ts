export const m0120Groups = {
  id: "0120-groups",
  sql: `
    -- Groups of nodes, from an Ansible inventory or made in the UI. A group holds nodes and
    -- other groups (Ansible's children); a node's groups are the ones that hold it, directly or through
    -- a child. Names follow Ansible's rules so an exported inventory reads back the same.
    CREATE TABLE node_groups (
      id          TEXT PRIMARY KEY,
      name        TEXT NOT NULL UNIQUE,
      created_at  TEXT NOT NULL,
      updated_at  TEXT NOT NULL
    );
    CREATE TABLE node_group_members (
      group_id  TEXT NOT NULL REFERENCES node_groups (id) ON DELETE CASCADE,
      node_id   TEXT NOT NULL REFERENCES nodes (id) ON DELETE CASCADE,
      PRIMARY KEY (group_id, node_id)
    );
    CREATE INDEX node_group_members_node ON node_group_members (node_id);
    CREATE TABLE node_group_children (
      parent_id TEXT NOT NULL REFERENCES node_groups (id) ON DELETE CASCADE,
      child_id  TEXT NOT NULL REFERENCES node_groups (id) ON DELETE CASCADE,
      PRIMARY KEY (parent_id, child_id),
      CHECK (parent_id <> child_id)
    );
  `,
};
