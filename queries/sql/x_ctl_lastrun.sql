-- name: x_ctl_lastrun
-- platforms: linux, darwin, windows
-- feeds: files
-- interval: 3600
-- description: CTL-04 run evidence of configuration-management agents: modification time of the state or log file
-- description: each agent rewrites on every run (Puppet last_run_summary.yaml, Chef run lock and log, Salt highstate
-- description: cache, Landscape broker log, ansible-pull log, CFEngine/Rudder promise summary, Munki report, Jamf log,
-- description: Intune Management Extension and Configuration Manager policy logs). Absent files return no row.
SELECT path, type, size, mtime, uid, mode FROM file WHERE path IN (
  '/opt/puppetlabs/puppet/public/last_run_summary.yaml',
  '/opt/puppetlabs/puppet/cache/state/last_run_summary.yaml',
  '/var/cache/puppet/public/last_run_summary.yaml',
  '/var/cache/puppet/state/last_run_summary.yaml',
  '/var/lib/puppet/state/last_run_summary.yaml',
  'C:\ProgramData\PuppetLabs\puppet\public\last_run_summary.yaml',
  'C:\ProgramData\PuppetLabs\puppet\cache\state\last_run_summary.yaml',
  '/var/chef/cache/chef-client-running.pid',
  '/var/log/chef/client.log',
  'C:\chef\cache\chef-client-running.pid',
  '/var/cache/salt/minion/highstate.cache.p',
  '/var/log/salt/minion',
  '/var/log/landscape/broker.log',
  '/var/log/ansible-pull.log',
  '/var/cfengine/promise_summary.log',
  '/var/rudder/cfengine-community/promise_summary.log',
  '/Library/Managed Installs/ManagedInstallReport.plist',
  '/var/log/jamf.log',
  'C:\ProgramData\Microsoft\IntuneManagementExtension\Logs\IntuneManagementExtension.log',
  'C:\Windows\CCM\Logs\PolicyAgent.log'
);
