// The AWS SDK for JavaScript v3 against an ssm-mw-stub server (tests/clients/
// test_server_javascript.py runs it with node, NODE_PATH pointing at an npm install of
// @aws-sdk/client-ssm). The endpoint comes from SSM_MW_STUB_URL; the credentials are
// placeholders (the server checks no signature). It creates a window, registers a target
// and a task, moves the server's clock through its control API, reads the executions and
// the invocation of the failed task, and prints what it read as JSON on standard output.
"use strict";

const {
  SSMClient,
  CreateMaintenanceWindowCommand,
  RegisterTargetWithMaintenanceWindowCommand,
  RegisterTaskWithMaintenanceWindowCommand,
  DescribeMaintenanceWindowExecutionsCommand,
  DescribeMaintenanceWindowExecutionTasksCommand,
  DescribeMaintenanceWindowExecutionTaskInvocationsCommand,
  GetCommandInvocationCommand,
  GetMaintenanceWindowCommand,
} = require("@aws-sdk/client-ssm");

const url = process.env.SSM_MW_STUB_URL;
const ssm = new SSMClient({
  endpoint: url,
  region: "eu-west-1",
  credentials: { accessKeyId: "testing", secretAccessKey: "testing" },
  maxAttempts: 1,
});

async function control(method, path, body) {
  const response = await fetch(`${url}/_ssm-mw-stub${path}`, {
    method,
    headers: { "Content-Type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const answer = await response.json();
  if (!response.ok) throw new Error(`${method} ${path}: ${JSON.stringify(answer)}`);
  return answer;
}

async function main() {
  const { WindowId } = await ssm.send(new CreateMaintenanceWindowCommand({
    Name: "nightly-patch", Schedule: "cron(0 2 ? * * *)", Duration: 3, Cutoff: 1,
    AllowUnassociatedTargets: false,
  }));
  const { WindowTargetId } = await ssm.send(new RegisterTargetWithMaintenanceWindowCommand({
    WindowId, ResourceType: "INSTANCE",
    Targets: [{ Key: "tag:Patch Group", Values: ["web"] }],
  }));
  await ssm.send(new RegisterTaskWithMaintenanceWindowCommand({
    WindowId, TaskArn: "AWS-RunShellScript", TaskType: "RUN_COMMAND",
    Targets: [{ Key: "WindowTargetIds", Values: [WindowTargetId] }],
    MaxConcurrency: "1", MaxErrors: "1",
    TaskInvocationParameters: { RunCommand: { Parameters: { commands: ["apt-get upgrade -y"] } } },
  }));

  // The fleet, and the node whose upgrade fails, then one night of simulated time.
  const good = "i-0a1b2c3d4e5f60001";
  const bad = "i-0a1b2c3d4e5f60002";
  for (const node of [good, bad]) {
    await control("PUT", `/instances/${node}`, { tags: { "Patch Group": "web" } });
  }
  await control("POST", "/outcomes", {
    key: "AWS-RunShellScript", instance_id: bad, status: "Failed", duration: "12m",
    response_code: 100, stderr: "E: dpkg was interrupted",
  });
  await control("POST", "/outcomes", { key: "RUN_COMMAND", status: "Success", duration: "5m" });
  const clock = await control("POST", "/clock/advance", { by: "1d" });

  const { WindowExecutions } = await ssm.send(
    new DescribeMaintenanceWindowExecutionsCommand({ WindowId }));
  const execution = WindowExecutions[0];
  const { WindowExecutionTaskIdentities } = await ssm.send(
    new DescribeMaintenanceWindowExecutionTasksCommand({
      WindowExecutionId: execution.WindowExecutionId }));
  const failedTask = WindowExecutionTaskIdentities.find((task) => task.Status === "FAILED");
  const { WindowExecutionTaskInvocationIdentities } = await ssm.send(
    new DescribeMaintenanceWindowExecutionTaskInvocationsCommand({
      WindowExecutionId: execution.WindowExecutionId, TaskId: failedTask.TaskExecutionId }));
  const invocation = WindowExecutionTaskInvocationIdentities[0];
  const node = await ssm.send(new GetCommandInvocationCommand({
    CommandId: invocation.ExecutionId, InstanceId: bad }));

  let missing;
  try {
    await ssm.send(new GetMaintenanceWindowCommand({ WindowId: "mw-0123456789abcdef0" }));
  } catch (error) {
    missing = { name: error.name, message: error.message,
                status: error.$metadata.httpStatusCode };
  }

  console.log(JSON.stringify({
    windowId: WindowId,
    now: clock.now,
    executions: WindowExecutions.map((e) => ({
      id: e.WindowExecutionId, status: e.Status, start: e.StartTime.toISOString(),
      end: e.EndTime.toISOString() })),
    failedTask: { id: failedTask.TaskExecutionId, status: failedTask.Status,
                  arn: failedTask.TaskArn },
    invocation: { id: invocation.InvocationId, status: invocation.Status,
                  details: invocation.StatusDetails, executionId: invocation.ExecutionId },
    node: { status: node.Status, responseCode: node.ResponseCode,
            stderr: node.StandardErrorContent, elapsed: node.ExecutionElapsedTime },
    missing,
  }));
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
