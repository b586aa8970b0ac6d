-- A dead execution: picked an hour ago by a scheduler that has not heartbeat since.
insert into scheduled_tasks (task_name, task_instance, task_data, execution_time, picked, picked_by, last_heartbeat, version)
  values ('send-invoice', 'dead-1', null, dateadd('HOUR', -1, current_timestamp), true, 'gone-node',
          dateadd('HOUR', -1, current_timestamp), 1);
