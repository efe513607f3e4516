export const m0060JumpHost = {
  id: "0060-jump-host",
  sql: `
    -- A node reached through another node of the inventory (a bastion, ssh -J). One hop: the jump
    -- host itself is reached directly. Removing the jump host leaves the node without one.
    ALTER TABLE nodes ADD COLUMN jump_node_id TEXT REFERENCES nodes (id) ON DELETE SET NULL;
  `,
};
