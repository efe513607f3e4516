import { execFile } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { stringify } from "yaml";
import { describe, expect, it } from "vitest";
import type { Rolling } from "@/lib/contracts/runs";
import { inBatches, planRollout, rolloutBatches } from "@/lib/rolling";
import { ansibleRollout, batchEndTasks, playKeywords } from "./rolling";

describe("the wizard's rolling settings as serial and max_fail_percentage", () => {
  it("maps counts and percentages, and says where Ansible's per-batch count differs", () => {
    expect(ansibleRollout({ batch: 2 }, 5)).toEqual({ serial: 2, max_fail_percentage: 0, note: null });
    expect(ansibleRollout({ batch: "25%", stopAfter: 1 }, 0)).toEqual({ serial: "25%", max_fail_percentage: 0, note: null });
    // 2 failures in a batch of 3: 1/3 must not stop the play, 2/3 must.
    expect(ansibleRollout({ batch: 3, stopAfter: 2 }, 0)).toMatchObject({ serial: 3, max_fail_percentage: 33.34, note: expect.stringMatching(/in each batch/) });
    expect(ansibleRollout({ batch: 4, stopAfter: 3 }, 0).max_fail_percentage).toBe(50);
    expect(ansibleRollout({ batch: 2, stopAfter: "50%" }, 8)).toMatchObject({ serial: 2, max_fail_percentage: 49.99 });
    const tooMany = ansibleRollout({ batch: 1, stopAfter: 3 }, 5);
    expect(tooMany.max_fail_percentage).toBeUndefined();
    expect(tooMany.note).toMatch(/A batch of 1 cannot hold 3 failures/);
    expect(ansibleRollout({ batch: "20%", stopAfter: 2 }, 0).note).toMatch(/whose size depends on your inventory/);
  });

  // The real ansible-playbook (Debian's ansible-core, as the export's own test uses) on local
  // "hosts": the play with these keywords reaches exactly the hosts nodeprep's rollout would start.
  it("ansible-playbook stops where nodeprep's rollout stops, for the settings where both count alike", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "np-serial-"));
    const hosts = ["h1", "h2", "h3", "h4", "h5", "h6"];
    fs.writeFileSync(path.join(dir, "inventory.ini"), `[all]\n${hosts.join("\n")}\n[all:vars]\nansible_connection=local\nansible_python_interpreter=/usr/bin/python3\n`);
    const cases: { rolling: Rolling; failing: string[] }[] = [
      { rolling: { batch: 3, stopAfter: 2 }, failing: ["h1", "h2"] },
      { rolling: { batch: 3, stopAfter: 2 }, failing: ["h2"] },
      { rolling: { batch: "50%", stopAfter: 1 }, failing: ["h5"] },
    ];
    const results = await Promise.all(
      cases.map(async (c, i) => {
        const keywords = playKeywords(ansibleRollout(c.rolling, hosts.length));
        const play = [{ hosts: "all", gather_facts: false, ...keywords, tasks: [{ "ansible.builtin.fail": { msg: "broken" }, when: `inventory_hostname in ${JSON.stringify(c.failing)}` }] }];
        const file = path.join(dir, `play-${i}.yml`);
        fs.writeFileSync(file, stringify(play));
        const out = await promisify(execFile)("ansible-playbook", ["-i", path.join(dir, "inventory.ini"), file], { env: { ...process.env, ANSIBLE_NOCOLOR: "1" } }).catch(
          (e: { stdout: string }) => ({ stdout: e.stdout }),
        );
        const recap = out.stdout.slice(out.stdout.indexOf("PLAY RECAP"));
        return hosts.filter((h) => new RegExp(`^${h}\\s+:`, "m").test(recap));
      }),
    );
    // nodeprep: batches in order until the failures so far reach the threshold.
    const expected = cases.map((c) => {
      const plan = planRollout(hosts.length, c.rolling);
      const started: string[] = [];
      for (const batch of inBatches(hosts, plan.batchSize)) {
        if (started.filter((h) => c.failing.includes(h)).length >= plan.stopAfterFailures) break;
        started.push(...batch);
      }
      return started;
    });
    expect(results).toEqual(expected);
    expect(expected).toEqual([["h1", "h2", "h3"], hosts, hosts]);
    fs.rmSync(dir, { recursive: true, force: true });
  }, 60_000);

  it("maps a canary to a serial list (or the first batch) and a prompt after it, and the pause to a pause at the end of each batch but the last", () => {
    expect(ansibleRollout({ batch: 2, canary: 1, pauseSeconds: 30 }, 5)).toMatchObject({ serial: [1, 2], canary: true, pauseSeconds: 30 });
    expect(ansibleRollout({ batch: "25%", canary: true }, 8)).toMatchObject({ serial: "25%", canary: true });
    expect(ansibleRollout({ batch: 2, canary: false }, 5)).toEqual(ansibleRollout({ batch: 2 }, 5));
    expect(batchEndTasks(ansibleRollout({ batch: 2 }, 5))).toEqual([]);
    const tasks = batchEndTasks(ansibleRollout({ batch: 2, canary: 1, pauseSeconds: 30 }, 5));
    expect(tasks.map((t) => Object.keys(t).find((k) => k.startsWith("ansible.builtin.")))).toEqual(["ansible.builtin.pause", "ansible.builtin.pause"]);
    expect(tasks[0]["ansible.builtin.pause"]).toEqual({ prompt: expect.stringMatching(/press Enter to continue the rollout/) });
    expect(tasks[1]["ansible.builtin.pause"]).toEqual({ seconds: 30 });
  });

  // The real ansible-playbook again: where the prompt and the pause land. Without a terminal the prompt
  // does not wait (Ansible warns, as the README says), so the test sees where it would have waited.
  it("ansible-playbook prompts once, after the canary batch, and pauses only between the later batches", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "np-canary-"));
    const hosts = ["h1", "h2", "h3", "h4", "h5", "h6"];
    fs.writeFileSync(path.join(dir, "inventory.ini"), `[all]\n${hosts.join("\n")}\n[all:vars]\nansible_connection=local\nansible_python_interpreter=/usr/bin/python3\n`);
    const cases: Rolling[] = [
      { batch: 2, canary: 1, pauseSeconds: 1 },
      { batch: 3, canary: true },
    ];
    const batchesSeen = await Promise.all(
      cases.map(async (rolling, i) => {
        const r = ansibleRollout(rolling, hosts.length);
        const play = [{ hosts: "all", gather_facts: false, ...playKeywords(r), tasks: [{ name: "work", "ansible.builtin.debug": { msg: "work" } }, ...batchEndTasks(r)] }];
        const file = path.join(dir, `play-${i}.yml`);
        fs.writeFileSync(file, stringify(play));
        const { stdout } = await promisify(execFile)("ansible-playbook", ["-i", path.join(dir, "inventory.ini"), file], { env: { ...process.env, ANSIBLE_NOCOLOR: "1" } });
        // Each batch is a "PLAY [all]" section: its hosts, and which waits ran ("ok") rather than skipped.
        return stdout
          .split(/^PLAY \[all\].*$/m)
          .slice(1)
          .map((section) => {
            const tasks = section.split(/^PLAY RECAP/m)[0].split(/^TASK \[/m);
            const ran = (task: string) => tasks.some((t) => t.startsWith(task) && /^ok: /m.test(t));
            return { hosts: [...section.matchAll(/^ok: \[(h\d)\] =>/gm)].map((m) => m[1]).sort(), prompt: ran("Canary batch done"), pause: ran("Pause") };
          });
      }),
    );
    expect(batchesSeen[0]).toEqual([
      { hosts: ["h1"], prompt: true, pause: false },
      { hosts: ["h2", "h3"], prompt: false, pause: true },
      { hosts: ["h4", "h5"], prompt: false, pause: true },
      { hosts: ["h6"], prompt: false, pause: false },
    ]);
    expect(batchesSeen[1]).toEqual([
      { hosts: ["h1", "h2", "h3"], prompt: true, pause: false },
      { hosts: ["h4", "h5", "h6"], prompt: false, pause: false },
    ]);
    // nodeprep's own batches for the same settings.
    expect(cases.map((c) => rolloutBatches(hosts, planRollout(hosts.length, c)))).toEqual(batchesSeen.map((b) => b.map((x) => x.hosts)));
    fs.rmSync(dir, { recursive: true, force: true });
  }, 60_000);
});
